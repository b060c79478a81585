# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from stdnum.se import orgnr as se_orgnr

from odoo import api, fields, models
from odoo.exceptions import ValidationError

# Peppol electronic address scheme of the Swedish organisation number.
PEPPOL_EAS_SE_ORGNR = "0007"


class ResPartner(models.Model):
    """Peppol BIS Billing 3.0 settings of the association's customers.

    Odoo's ``account_edi_ubl_cii`` only takes the organisation number as the Peppol
    endpoint when it is stored as ten bare digits; the member register stores it as
    ``NNNNNN-NNNN``. A Swedish partner with a valid organisation number therefore gets
    scheme 0007 and the ten digits as its endpoint here. A public-sector partner
    (municipality, county board, region, agency, research institute, ...) must be
    invoiced electronically (lag 2018:1277): it also gets BIS Billing 3.0 as its
    e-invoice format and cannot be saved without a valid organisation number.
    """

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    cluster_is_public_sector = fields.Boolean(
        string="Public sector",
        help="A Swedish public-sector body (municipality, region, county board, agency, "
        "public research institute...). It receives its invoices as Peppol BIS Billing 3.0 "
        "e-invoices addressed with its organisation number (scheme 0007).",
    )

    @api.model
    def _commercial_fields(self):
        return super()._commercial_fields() + ["cluster_is_public_sector"]

    def _peppol_eas_endpoint_depends(self):
        return super()._peppol_eas_endpoint_depends() + ["cluster_is_public_sector"]

    def _cluster_peppol_orgnr(self):
        """The organisation number as the ten digits Peppol expects, or False."""
        self.ensure_one()
        number = self.company_registry
        if not number or self._deduce_country_code() not in (False, None, "SE"):
            return False
        if not se_orgnr.is_valid(number):
            return False
        return se_orgnr.compact(number)

    @api.depends("commercial_partner_id.cluster_is_public_sector")
    def _compute_invoice_edi_format(self):
        return super()._compute_invoice_edi_format()

    def _get_suggested_invoice_edi_format(self):
        if self.commercial_partner_id.cluster_is_public_sector:
            return "ubl_bis3"
        return super()._get_suggested_invoice_edi_format()

    def _compute_peppol_eas(self):
        res = super()._compute_peppol_eas()
        for partner in self:
            if partner._cluster_peppol_orgnr():
                partner.peppol_eas = PEPPOL_EAS_SE_ORGNR
        return res

    def _compute_peppol_endpoint(self):
        res = super()._compute_peppol_endpoint()
        for partner in self:
            digits = partner._cluster_peppol_orgnr()
            if digits and partner.peppol_eas == PEPPOL_EAS_SE_ORGNR:
                partner.peppol_endpoint = digits
        return res

    @api.onchange("cluster_is_public_sector")
    def _onchange_cluster_is_public_sector(self):
        if self.cluster_is_public_sector and not self.is_company and not self.parent_id:
            self.is_company = True

    @api.constrains(
        "cluster_is_public_sector",
        "company_registry",
        "country_id",
        "vat",
        "peppol_eas",
        "peppol_endpoint",
    )
    def _check_cluster_public_sector_peppol(self):
        for partner in self.filtered("cluster_is_public_sector"):
            if partner.commercial_partner_id != partner:
                continue
            digits = partner._cluster_peppol_orgnr()
            if not digits:
                raise ValidationError(
                    self.env._(
                        "%(partner)s is a public-sector partner: it is invoiced by Peppol "
                        "e-invoice and needs a valid Swedish organisation number "
                        "(Company ID, e.g. 212000-0142).",
                        partner=partner.display_name,
                    )
                )
            if partner.peppol_eas != PEPPOL_EAS_SE_ORGNR or partner.peppol_endpoint != digits:
                raise ValidationError(
                    self.env._(
                        "%(partner)s is a public-sector partner: its Peppol address must use "
                        "its organisation number (scheme 0007, endpoint %(endpoint)s).",
                        partner=partner.display_name,
                        endpoint=digits,
                    )
                )
