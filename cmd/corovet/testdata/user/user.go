// Package user drops a coroutine of tagged's async function, known to the
// analyzer by the fact it exports for tagged.Nap.
package user

import "github.com/corogen/corogen/cmd/corovet/testdata/tagged"

func Use() {
	tagged.Nap()
}
