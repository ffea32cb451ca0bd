package other

type secret struct{ N int }

// New returns a value of an unexported type.
func New() *secret { return &secret{N: 1} }
