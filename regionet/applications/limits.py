"""How long each text of an application may be. The forms state and check these limits
(``regionet.texts.state_limit``) and the services enforce them on what they store."""

# Printed in every receipt and list: one line.
TITLE = 300
# Read by officers and reviewers and may be published with a funded project.
SUMMARY = 2000
# A partner's tasks in the project: a paragraph or two.
PARTNER_TASKS = 2000
LETTER_OF_COMMITMENT = 5000
INCOME_DESCRIPTION = 200
# Income rows of a budget: a posted row count builds that many forms, so it has a ceiling.
INCOME_ROWS = 50
ATTACHMENT_DESCRIPTION = 200
WITHDRAWAL_REASON = 2000
# The officers' texts to and about an application.
COMPLETION_MESSAGE = 5000
LATE_ADMISSION_REASON = 2000
SCREENING_NOTE = 5000
