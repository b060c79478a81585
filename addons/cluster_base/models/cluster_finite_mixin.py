# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import math

from odoo import api, models
from odoo.exceptions import ValidationError


class ClusterFiniteMixin(models.AbstractModel):
    """Refuse NaN and infinite amounts before the ORM tries to round or store them.

    A monetary field rounds its value with the currency while it is written, so a NaN or
    an
    infinity would otherwise end in a ValueError/OverflowError instead of a clear
    message.
    """

    _name = "cluster.finite.mixin"
    _description = "Finite amounts check"

    # checked before the database sees them, so a bad value gives a clear message
    # (the SQL CHECK constraints stay as the last line of defence)
    _cluster_non_negative_fields = ()
    _cluster_percent_fields = ()

    @api.model
    def _cluster_check_finite(self, vals):
        for name, value in vals.items():
            field = self._fields.get(name)
            if (
                field
                and field.type in ("float", "monetary")
                and isinstance(value, float)
                and not math.isfinite(value)
            ):
                raise ValidationError(
                    self.env._(
                        "%(field)s must be a finite number.",
                        field=field._description_string(self.env),
                    )
                )
            if name in self._cluster_percent_fields and not 0 <= (value or 0) <= 100:
                raise ValidationError(
                    self.env._(
                        "%(field)s must be between 0 and 100 %%.",
                        field=field._description_string(self.env),
                    )
                )
            if name in self._cluster_non_negative_fields and (value or 0) < 0:
                raise ValidationError(
                    self.env._(
                        "%(field)s must be zero or more.",
                        field=field._description_string(self.env),
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._cluster_check_finite(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._cluster_check_finite(vals)
        return super().write(vals)
