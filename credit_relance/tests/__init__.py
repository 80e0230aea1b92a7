from . import test_tools_late_interest
from . import test_security_groups
from . import test_demo_data
from . import test_agenda
from . import test_agenda_tour
