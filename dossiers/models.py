# Dossiers arrive with issue 3 (submission, state machine, deadlines, queues).
