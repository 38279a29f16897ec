# hypercalls: nothing to build yet.
