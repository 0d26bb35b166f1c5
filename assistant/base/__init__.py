"""The bottom layer: types every other layer shares (events, the intent model, conditions, settings,
errors, problems found in files, and where things live). Nothing here imports from another layer."""
