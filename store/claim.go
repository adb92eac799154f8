package store

import "time"

// DeployClaim is a deploy claim taken by the admission that gives a bot
// capacity, for the admitting daemon's own deployer: the bot is handed to
// it in memory and deployed without another transaction to claim it. The
// zero value takes none, and the bot waits for any deployer's
// ClaimDeploys. A daemon that dies before deploying a bot it claimed this
// way leaves it to the others when the claim runs out, as one dying
// mid-deploy does.
type DeployClaim struct {
	Holder string
	Until  time.Time
	// Token, when set, gives the hash of the agent token an admitted bot
	// is stored with, by the bot's id and platform ("": none, the
	// deployer sets one): the deployer then deploys it with the token at
	// once, with nothing more to write first.
	Token func(botID int64, platform string) string
}

// args are the values of deploy_claim_holder and deploy_claim_until.
func (c DeployClaim) args(d dialect) (holder, until any) {
	if c.Holder == "" {
		return nil, nil
	}
	return c.Holder, d.at(c.Until)
}

// token is the agent token hash an admitted bot is stored with (nil: keep
// what it has).
func (c DeployClaim) token(botID int64, platform string) any {
	if c.Holder == "" || c.Token == nil {
		return nil
	}
	if h := c.Token(botID, platform); h != "" {
		return h
	}
	return nil
}
