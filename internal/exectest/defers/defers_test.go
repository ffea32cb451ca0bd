package defers

import (
	"testing"

	"github.com/corogen/corogen/internal/exectest"
)

func TestDefers(t *testing.T) { exectest.Run(t, Main, &out) }
