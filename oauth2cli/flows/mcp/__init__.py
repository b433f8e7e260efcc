"""oauth2 mcp: the stdio ↔ Streamable HTTP bridge for local MCP clients (bridge), and which profile
it sends with, set up from the server's 401 when none claims the URL (setup). No click, no httpx here.
"""
