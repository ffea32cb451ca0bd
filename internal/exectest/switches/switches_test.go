package switches

import (
	"testing"

	"github.com/corogen/corogen/internal/exectest"
)

func TestSwitches(t *testing.T) { exectest.Run(t, Main, &out) }
