from . import test_tools_late_interest
from . import test_security_groups
from . import test_credit_relance_engine
from . import test_credit_relance_engine_errors
from . import test_credit_relance_channels
from . import test_credit_relance_engine_security
from . import test_credit_relance_concurrency
from . import test_tools_engine
