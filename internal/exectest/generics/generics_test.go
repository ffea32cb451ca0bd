package generics

import (
	"testing"

	"github.com/corogen/corogen/internal/exectest"
)

func TestGenerics(t *testing.T) { exectest.Run(t, Main, &out) }
