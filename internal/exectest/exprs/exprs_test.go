package exprs

import (
	"testing"

	"github.com/corogen/corogen/internal/exectest"
)

func TestExprs(t *testing.T) { exectest.Run(t, Main, &out) }
