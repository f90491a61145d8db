package store

// PruneQuery is pruneQuery, for the query plan test.
const PruneQuery = pruneQuery

// NextSpan is nextSpan, and NarrowRead narrowRead, for the test of how
// far a search's next read reaches.
var NextSpan = nextSpan

const NarrowRead = narrowRead
