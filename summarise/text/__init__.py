"""Text shared by every stage: token counts and figures."""
