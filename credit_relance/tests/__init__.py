from . import test_tools_late_interest
from . import test_security_groups
from . import test_bench_data
