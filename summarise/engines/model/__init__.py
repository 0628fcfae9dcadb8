"""The model engine: any OpenAI-compatible endpoint, structured output, cached and retried calls."""
