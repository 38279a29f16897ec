# pv-drivers: nothing to build yet.
