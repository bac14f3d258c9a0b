package optimize

import "math"

// The training objective is a sum over scored reviews of
// −weight·(y·ln R + (1−y)·ln(1−R)), R the model's recall probability at
// the review and y 1 for a recall. Its gradient is computed by reverse
// accumulation over each card's reviews: a forward pass keeps, for every
// review, the inputs and the branch the model took (grad.go's stepCache),
// and a backward pass carries dLoss/dS and dLoss/dD from the last review
// to the first, adding each review's contribution to the 21 weights. A
// clamp passes the gradient when its input is within the bounds (bounds
// included, as fsrs-rs and PyTorch do) and stops it outside; min and max
// take the derivative of the branch they chose.

const (
	minProb = 1e-7
	maxProb = 1 - 1e-7
)

// seq is a run of one card's reviews with the positions to score: one
// item (plain mode, its last position) or all of a card's items at once.
type seq struct {
	steps  []Step
	pos    []int32   // scored positions, ascending, each ≥ 1
	weight []float64 // weight of each scored position
	items  int       // items scored, for the L2 share of the batch
}

type branch uint8

const (
	brInit branch = iota
	brShort
	brShortFloor
	brFail
	brFailFloor
	brSuccess
)

type stepCache struct {
	s, d, t   float64 // state before the review (clamped) and days since
	r, base   float64 // recall probability and 1 + factor·t/s
	v         float64 // the branch's value: sinc, the lapse stability or inc
	ls        float64 // ln s
	lb        float64 // ln base
	g         uint8
	br        branch
	gateS     bool // the new stability was within [sMin, sMax] before clamping
	gateD     bool // the new difficulty was within [dMin, dMax] before clamping
	nd        float64
	aux, aux2 float64 // branch intermediates kept for the backward pass
}

// kernel computes a sequence's loss and gradient; it owns its buffers,
// so each goroutine has its own.
type kernel struct {
	m     *model
	cache []stepCache
	gR    []float64
}

func newKernel(m *model) *kernel { return &kernel{m: m} }

// lossGrad adds the sequence's loss gradient to g and returns its loss.
// With g nil it computes the loss only.
func (k *kernel) lossGrad(q seq, g *Params) float64 {
	m := k.m
	w := &m.w
	n := len(q.steps)
	if n > cap(k.cache) {
		k.cache = make([]stepCache, n)
		k.gR = make([]float64, n)
	}
	cache := k.cache[:n]
	gR := k.gR[:n]

	// Forward.
	g0 := q.steps[0].Rating
	s0 := w[g0-1]
	d0 := w[4] - math.Exp(w[5]*float64(g0-1)) + 1
	cache[0] = stepCache{g: g0, br: brInit, gateS: s0 >= sMin && s0 <= sMax, gateD: d0 >= dMin && d0 <= dMax}
	s, d := clamp(s0, sMin, sMax), clamp(d0, dMin, dMax)
	loss := 0.0
	next := 0 // index into q.pos
	last := n - 1
	for t := 1; t < n; t++ {
		st := q.steps[t]
		c := &cache[t]
		c.s, c.d, c.t, c.g = s, d, float64(st.DeltaT), st.Rating
		c.ls = math.Log(s)
		c.base = 1 + m.k.factor*c.t/s
		c.r, c.lb = 1, 0
		if c.t > 0 {
			c.lb = math.Log(c.base)
			c.r = math.Exp(m.k.c * c.lb)
		}
		gr := 0.0
		if next < len(q.pos) && int(q.pos[next]) == t {
			wt := q.weight[next]
			next++
			r := clamp(c.r, minProb, maxProb)
			y := 0.0
			if st.Rating > 1 {
				y = 1
			}
			loss -= wt * (y*math.Log(r) + (1-y)*math.Log(1-r))
			if c.r > minProb && c.r < maxProb {
				gr = -wt * (y/r - (1-y)/(1-r))
			}
		}
		gR[t] = gr
		if next == len(q.pos) {
			// Past the last scored review nothing reaches the loss.
			last = t
			break
		}
		var ns float64
		fg := float64(st.Rating)
		switch {
		case c.t == 0:
			sinc := math.Exp(w[17]*(fg-3+w[18]) - w[19]*c.ls)
			c.v = sinc
			if st.Rating >= 2 && sinc < 1 {
				c.br = brShortFloor
				ns = s
			} else {
				c.br = brShort
				ns = s * sinc
			}
		case st.Rating == 1:
			dp := math.Exp(-w[12] * math.Log(d))  // d^−w12
			sp := math.Exp(w[13] * math.Log(s+1)) // (s+1)^w13
			er := math.Exp(w[14] * (1 - c.r))
			raw := w[11] * dp * (sp - 1) * er
			floor := s / m.floorDiv
			if floor < raw {
				c.br, c.v = brFailFloor, floor
				ns = floor
			} else {
				c.br, c.v = brFail, raw
				c.aux, c.aux2 = dp*er, sp // for the derivatives in s and w13
				ns = raw
			}
		default:
			a := m.expW8 * (11 - d) * math.Exp(-w[9]*c.ls)
			e := math.Exp(w[10] * (1 - c.r))
			hpeb := 1.0
			switch st.Rating {
			case 2:
				hpeb = w[15]
			case 4:
				hpeb = w[16]
			}
			c.br = brSuccess
			c.aux, c.aux2 = a, e
			c.v = a * (e - 1) * hpeb
			ns = s * (1 + c.v)
		}
		c.nd = d - w[6]*(fg-3)*(10-d)/9
		md := w[7]*m.easyD + (1-w[7])*c.nd
		c.gateS = ns >= sMin && ns <= sMax
		c.gateD = md >= dMin && md <= dMax
		s, d = clamp(ns, sMin, sMax), clamp(md, dMin, dMax)
	}
	if g == nil {
		return loss
	}

	// Backward.
	var gS, gD float64 // dLoss/d(S, D) after the review at t
	for t := last; t >= 1; t-- {
		c := &cache[t]
		gs, gd, gr := 0.0, 0.0, gR[t]
		gSpre, gDpre := 0.0, 0.0
		if c.gateS {
			gSpre = gS
		}
		if c.gateD {
			gDpre = gD
		}
		s, d := c.s, c.d
		fg := float64(c.g)
		if gSpre != 0 {
			switch c.br {
			case brShortFloor:
				gs += gSpre
			case brShort:
				x := gSpre * s * c.v
				gs += gSpre * c.v * (1 - w[19])
				g[17] += x * (fg - 3 + w[18])
				g[18] += x * w[17]
				g[19] -= x * c.ls
			case brFailFloor:
				gs += gSpre / m.floorDiv
				g[17] -= gSpre * c.v * w[18]
				g[18] -= gSpre * c.v * w[17]
			case brFail:
				raw := c.v
				dper, sp := c.aux, c.aux2
				g[11] += gSpre * dper * (sp - 1)
				g[12] -= gSpre * raw * math.Log(d)
				g[13] += gSpre * w[11] * dper * sp * math.Log(s+1)
				g[14] += gSpre * raw * (1 - c.r)
				gs += gSpre * w[11] * dper * w[13] * sp / (s + 1)
				gd -= gSpre * raw * w[12] / d
				gr -= gSpre * raw * w[14]
			case brSuccess:
				a, e := c.aux, c.aux2
				inc := c.v
				hpeb := 1.0
				switch c.g {
				case 2:
					hpeb = w[15]
				case 4:
					hpeb = w[16]
				}
				gs += gSpre * (1 + inc - w[9]*inc)
				gd -= gSpre * s * a / (11 - d) * (e - 1) * hpeb
				gr -= gSpre * s * a * hpeb * w[10] * e
				g[8] += gSpre * s * inc
				g[9] -= gSpre * s * inc * c.ls
				g[10] += gSpre * s * a * hpeb * (1 - c.r) * e
				switch c.g {
				case 2:
					g[15] += gSpre * s * a * (e - 1)
				case 4:
					g[16] += gSpre * s * a * (e - 1)
				}
			}
		}
		if gDpre != 0 {
			g[7] += gDpre * (m.easyD - c.nd)
			g[4] += gDpre * w[7]
			g[5] -= gDpre * w[7] * 3 * m.exp3W5
			gnd := gDpre * (1 - w[7])
			g[6] -= gnd * (10 - d) * (fg - 3) / 9
			gd += gnd * (1 + w[6]*(fg-3)/9)
		}
		if gr != 0 && c.t > 0 {
			// R = base^c, base = 1 + factor·t/s, c = −w20.
			gs += gr * c.r * m.k.c / c.base * (-m.k.factor * c.t / (s * s))
			dRdc := c.r * (c.lb + m.k.c/c.base*c.t/s*m.k.dFactor)
			g[20] -= gr * dRdc
		}
		gS, gD = gs, gd
	}
	c := &cache[0]
	if c.gateS {
		g[c.g-1] += gS
	}
	if c.gateD && gD != 0 {
		off := float64(c.g - 1)
		g[4] += gD
		g[5] -= gD * off * math.Exp(w[5]*off)
	}
	return loss
}
