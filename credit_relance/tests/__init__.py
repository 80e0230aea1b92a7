from . import test_tools_late_interest
from . import test_security_groups
from . import test_tools_behaviour
from . import test_tools_kpi
from . import test_credit_behaviour
from . import test_credit_relance_history_import
from . import test_credit_relance_kpi
from . import test_credit_relance_history
