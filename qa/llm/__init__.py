"""Optional answers written by a language model on an OpenAI-compatible server: ``prompt`` (the messages
it is sent), ``check`` (its citation markers mapped to verbatim quotes) and ``generator`` (the HTTP
client and the fallback to the extractive answer)."""
