package imports

import (
	"testing"

	"github.com/corogen/corogen/internal/exectest"
)

func TestImports(t *testing.T) { exectest.Run(t, Main, &out) }
