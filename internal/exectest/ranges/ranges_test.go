package ranges

import (
	"testing"

	"github.com/corogen/corogen/internal/exectest"
)

func TestRanges(t *testing.T) { exectest.Run(t, Main, &out) }
