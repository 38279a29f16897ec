# guests: nothing to build yet.
