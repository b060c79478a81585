from . import portal
from . import state_aid
