"""Workshop outputs: `impact`, `report`, `graph` and `init` — tables and pictures for people."""
