# xen-like/: the hypervisor. (Owned by the boot work; placeholder.)
