package cancel

import (
	"testing"

	"github.com/corogen/corogen/internal/exectest"
)

func TestCancel(t *testing.T) { exectest.Run(t, Main, &out) }
