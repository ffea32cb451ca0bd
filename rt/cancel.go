package rt

import (
	"context"
	"errors"
	"fmt"
)

// ErrCancelled is the error of a cancelled await or task (asyncio's
// CancelledError). errors.Is(err, context.Canceled) holds for it as well.
var ErrCancelled = fmt.Errorf("rt: cancelled: %w", context.Canceled)

func isCancelled(err error) bool { return errors.Is(err, ErrCancelled) }
