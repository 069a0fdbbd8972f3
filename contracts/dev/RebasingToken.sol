// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @notice TEST ONLY: a share-based rebasing token with Lido stETH's rounding (docs/eth.md "Token mocks").
///         Balances are shares × pooled / totalShares (rounded down); a transfer of `amount` moves
///         amount × totalShares / pooled shares (rounded down), so the receiver may get 1–2 wei less than `amount`
///         and the sender's balance may drop by less. `rebase` changes the pooled ether: every balance moves.
contract RebasingToken is IERC20 {
    string public constant name = "Rebasing stETH (test)";
    string public constant symbol = "rstETH";
    uint8 public constant decimals = 18;

    uint256 public totalShares;
    uint256 public pooled;
    mapping(address => uint256) public sharesOf;
    mapping(address => mapping(address => uint256)) public allowance;

    function totalSupply() external view returns (uint256) {
        return pooled;
    }

    function balanceOf(address a) public view returns (uint256) {
        return totalShares == 0 ? 0 : (sharesOf[a] * pooled) / totalShares;
    }

    /// Mint `amount` of ether value to `to` at the current share price (the first mint sets 1 share = 1 wei).
    function mint(address to, uint256 amount) external {
        uint256 s = totalShares == 0 ? amount : (amount * totalShares) / pooled;
        sharesOf[to] += s;
        totalShares += s;
        pooled += amount;
        emit Transfer(address(0), to, amount);
    }

    /// Change the pooled ether by `bps` basis points (e.g. +1000 = +10 %, -1000 = −10 %).
    function rebase(int256 bps) external {
        pooled = bps >= 0 ? pooled + (pooled * uint256(bps)) / 10_000 : pooled - (pooled * uint256(-bps)) / 10_000;
    }

    function approve(address spender, uint256 amount) external returns (bool) {
        allowance[msg.sender][spender] = amount;
        emit Approval(msg.sender, spender, amount);
        return true;
    }

    function transfer(address to, uint256 amount) external returns (bool) {
        _transfer(msg.sender, to, amount);
        return true;
    }

    function transferFrom(address from, address to, uint256 amount) external returns (bool) {
        uint256 a = allowance[from][msg.sender];
        require(a >= amount, "ALLOWANCE_EXCEEDED");
        if (a != type(uint256).max) allowance[from][msg.sender] = a - amount;
        _transfer(from, to, amount);
        return true;
    }

    function _transfer(address from, address to, uint256 amount) private {
        require(amount <= balanceOf(from), "BALANCE_EXCEEDED");
        uint256 s = (amount * totalShares) / pooled;
        sharesOf[from] -= s;
        sharesOf[to] += s;
        emit Transfer(from, to, amount);
    }
}
