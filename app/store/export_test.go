package store

// PruneQuery is pruneQuery, for the query plan test.
const PruneQuery = pruneQuery
