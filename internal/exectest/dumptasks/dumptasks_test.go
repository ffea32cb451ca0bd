package dumptasks

import (
	"testing"

	"github.com/corogen/corogen/internal/exectest"
)

func TestDump(t *testing.T) { exectest.Run(t, Main, &out) }
