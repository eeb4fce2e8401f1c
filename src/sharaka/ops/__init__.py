"""Running Sharaka in production: the application server (``sharaka serve``), the health
endpoints, structured logs with a request id, and optional error reporting.

Imports only Django and third-party packages, nothing else of sharaka: the settings import it
(above) and so does the command line (below), docs/serving.md."""
