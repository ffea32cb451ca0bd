// Package tagged has an async function that blocks the loop, visible only
// with -tags corosrc, and no generated file: a default build has nothing
// to report.
package tagged
