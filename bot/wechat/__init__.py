"""WeChat: the official API client (access token, customer-service messages) and push-message parsing."""
