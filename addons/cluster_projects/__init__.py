from . import models, wizards
from . import controllers
