package closures

import (
	"testing"

	"github.com/corogen/corogen/internal/exectest"
)

func TestClosures(t *testing.T) { exectest.Run(t, Main, &out) }
