from . import models, report, wizards
from . import controllers
