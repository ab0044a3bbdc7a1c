"""`python -m rasa_server run …`: Rasa's command line, with the action-reply check installed first."""

import sys

from rasa.__main__ import main

from rasa_server.action_replies import install_prebuilt_reply_validator

install_prebuilt_reply_validator()
sys.exit(main())
