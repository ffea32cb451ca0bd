package control

import (
	"testing"

	"github.com/corogen/corogen/internal/exectest"
)

func TestControl(t *testing.T) { exectest.Run(t, Main, &out) }
