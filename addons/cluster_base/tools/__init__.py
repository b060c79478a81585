from . import parse
