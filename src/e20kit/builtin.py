"""Built-in plugin: csv connector, log notifier, activity checks (registered via entry point)."""
