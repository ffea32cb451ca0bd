package queues

import (
	"testing"

	"github.com/corogen/corogen/internal/exectest"
)

func TestFIFO(t *testing.T)     { exectest.Run(t, FIFO, &out) }
func TestKinds(t *testing.T)    { exectest.Run(t, Kinds, &out) }
func TestFairness(t *testing.T) { exectest.Run(t, Fairness, &out) }
func TestCancel(t *testing.T)   { exectest.Run(t, Cancel, &out) }
func TestJoin(t *testing.T)     { exectest.Run(t, Join, &out) }
func TestShutdown(t *testing.T) { exectest.Run(t, Shutdown, &out) }
func TestStress(t *testing.T)   { exectest.Run(t, Stress, &out) }
func TestTimeouts(t *testing.T) { exectest.Run(t, Timeouts, &out) }
