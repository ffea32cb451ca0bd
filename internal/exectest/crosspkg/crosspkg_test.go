package crosspkg

import (
	"testing"

	"github.com/corogen/corogen/internal/exectest"
)

func TestCrossPackage(t *testing.T) { exectest.Run(t, Main, &out) }
