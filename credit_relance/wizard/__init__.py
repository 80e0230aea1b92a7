from . import credit_relance_call_result
