from . import credit_relance_status
from . import credit_relance_scenario
from . import credit_relance_step
from . import credit_relance_group
from . import res_partner
from . import account_move
from . import credit_relance_action
from . import credit_relance_action_line
