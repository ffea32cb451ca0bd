package regressions

import (
	"testing"

	"github.com/corogen/corogen/internal/exectest"
)

func TestRegressions(t *testing.T) { exectest.Run(t, Main, &out) }
