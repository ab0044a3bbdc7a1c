"""`python -m rasa_server run …`: Rasa's command line, with the action-reply check and the faster model
loading installed first."""

import sys

from rasa.__main__ import main

from rasa_server.action_replies import install_prebuilt_reply_validator
from rasa_server.model_loading import install_eager_model_loading

install_prebuilt_reply_validator()
install_eager_model_loading()
sys.exit(main())
