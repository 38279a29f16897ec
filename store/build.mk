# store: nothing to build yet.
