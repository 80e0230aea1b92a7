from . import credit_relance_call_result
from . import credit_relance_pause
