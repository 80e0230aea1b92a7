from . import dispute, handover_file
