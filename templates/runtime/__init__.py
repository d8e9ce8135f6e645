"""The runtime modules copied verbatim into every generated package (a package here only so that they can be type-checked in place)."""
