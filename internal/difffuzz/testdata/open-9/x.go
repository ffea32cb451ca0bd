//coro:async
func Main() rt.Coro[int] {
	return rt.Async(func() int {
		if (3 + 4) == 6 {
			x22 := (2 * rt.Await(F0()))
			_ = x22
			say("s17")
			x23 := 6
			_ = x23
			say("ct18 %v", rt.CurrentTask())
		} else {
		}
		rt.Await(rt.Sleep(2))
		t24 := rt.Spawn(F0())
		say("s19 %d", rt.Await(F0()))
		rt.Await(t24)
		k25 := 0
	L26:
		for {
			if k25 >= 2 {
				break
			}
			k25++
			w27 := 0
			for w27 < 2 {
				w27++
				rs29 := rt.Await(rt.Gather[int](t24))
				say("g20 gathered %v", rs29)
				for i30, v31 := range rs29[:min(len(rs29), 3)] {
					_ = i30
					_ = v31
					v34, err33 := rt.Try(t24)
					say("t21 try %d %s", v34, show(err33))
				}
			}
			if rt.Await(rt.Async(func() (res int) {
				var fs35 []func() int
				if rt.Await(t24)%2 == 0 {
					c36 := func() int { return note("n22", w27) }
					for i37 := 0; i37 < min(3, rt.Await(t24)); i37++ {
						c36 := func() { res += w27*10 + 3 }
						c39 := func() int { return res*10 + 7 }
						_ = c39
						c36()
						if t24.Cancelled() {
							return note("n23", rt.Await(t24))
						}
						say("s24 %d %d", (5 + i37), note("n25", i37))
					}
					rt.Await(rt.Do(func() {
						var aws40 []rt.Awaitable[int]
						_ = aws40
						if c36() == c36() {
							var nm41 map[string]int
							nm41["c"] = c36()
						}
					}))
					say("s26 %d", res)
				} else {
					t42 := rt.Spawn(rt.AsyncErr(func() (int, error) {
						var aws43 []rt.Awaitable[int]
						_ = aws43
						return (8 + note("n27", 1)), nil
					}))
					_ = t42
					s44 := []int{res}
					_ = s44
					for i45 := range 3 {
						_ = i45
						say("s28")
					}
					x47 := sumFns(fs35)
					_ = x47
				}
				t48 := rt.Spawn(rt.AsyncErr(func() (int, error) {
					x49 := note("n29", 2)
					_ = x49
					say("s30")
					return 0, nil
				}))
				_ = t48
				return 0
			})) < 0 {
				continue L26
			}
		}
		v51, err50 := rt.Try(F0())
		say("t31 try %d %s", v51, show(err50))
		return 0
	})
}

//coro:async
func F0() rt.Coro[int] {
	return rt.AsyncErr(func() (int, error) {
		var aws1 []rt.Awaitable[int]
		rt.Await(rt.Sleep(0))
		k2 := 0
	L3:
		for {
			if k2 >= 3 {
				break
			}
			k2++
			if !(k2 != k2) {
				x4 := min(3, 4)
				_ = x4
				rt.Await(rt.Sleep(0))
				aws1 = append(aws1, rt.Spawn(rt.AsyncErr(func() (int, error) {
					var fs5 []func() int
					k2 := (sumFns(fs5) + 0)
					s6 := []int{k2, sumFns(fs5), (6 * k2)}
					x7 := note("n1", (k2 + k2))
					if 1 <= note("n2", k2) {
						return min((k2 - x7), len(s6)), nil
					}
					if _, err8 := rt.Try(rt.Sleep(1)); err8 != nil {
						say("c3 caught %s", show(err8))
					}
					m9 := func() { k2 += x7 + k2 }
					_ = m9
					return x7, nil
				})))
				t10 := rt.Spawn(rt.Do(func() {
					var aws11 []rt.Awaitable[int]
					_ = aws11
					rs13, err14 := rt.Try(rt.Gather[int](rt.Async(func() int {
						return ((2 - 3) + rt.Await(rt.Async(func() (res int) {
							if _, err12 := rt.Try(rt.Gather[rt.Void](rt.Do(func() { rt.Await(rt.Sleep(2)) }))); err12 != nil {
								say("g4 void gather %s", show(err12))
							}
							return
						})))
					})))
					say("g5 gathered %v %s", rs13, show(err14))
					m15 := func() { rs13 = append(rs13, k2*10+9) }
					_ = m15
				}))
				_ = t10
			} else {
				if k2%2 == 0 && k2 > k2 {
					return rt.Try(rt.AsyncErr(func() (int, error) {
						t16 := rt.Spawn(rt.Do(func() {
							var fs17 []func() int
							_ = fs17
							var aws18 []rt.Awaitable[int]
							_ = aws18
							rt.Await(rt.Sleep(1))
							s19 := []int{3, (0 - 9), max(3, 3)}
							c20 := func() int { return 5 }
							_ = c20
							c21 := func() int { return note("n6", k2) }
							_ = c21
							s19[idx(min(0, 6), len(s19))] += (1 - 6)
						}))
						rt.Await(rt.Sleep(0))
						switch 1 {
						case note("n7", (0 + 2)), note("n8", 2):
							if note("n9", 9) <= 5 {
								panic(fmt.Sprintf("p10 %d", note("n11", 8)))
							}
							say("s12 %v", t16)
							t16 := max(note("n13", 8), 9)
							_ = t16
						default:
						}
						return 3, nil
					}))
				}
				if k2%2 == 0 || k2 == k2 {
					panic(fmt.Sprintf("p14 %d", note("n15", 4)))
				}
				if k2 == k2 && k2 == 1 {
					continue L3
				}
				say("s16")
			}
		}
		return 0, nil
	})
}

