"""The dashboard (pages, static assets, JSON views): see eventcoder.web.routes.mount."""
